"""Task context for the programmes and search plugins: the city's schema name."""

from django.db import connection
from django_tenants.utils import schema_context


class SchemaTaskContext:
    @staticmethod
    def capture():
        return connection.schema_name

    @staticmethod
    def enter(value):
        return schema_context(value or "public")
