"""Demo content of the programmes plugin: data drawn from real city pages, and its loader.

``manage.py load_demo_content`` fills the active site (in a multi-city project:
one city's schema, through ``tenant_command``) from a dataset module
(``warszawa``, ``wroclaw``). See loader.py.
"""
