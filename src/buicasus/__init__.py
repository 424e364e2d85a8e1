"""BuiCaSuS: a platform for national Competence Centres for Social Innovation."""

__version__ = "0.1.0"
