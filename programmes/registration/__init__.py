"""Registration for meetings and applications to working groups (part of the plugin).

A sub-app of ``programmes`` with its own label (``programmes_registration``):
add ``"programmes.registration"`` to INSTALLED_APPS next to ``"programmes"``
and include ``programmes.registration.urls`` in the site's URLconf. It holds
personal data, so it is deliberately separate from the page models: nothing
here is a page field, an API field or a search field.
"""
