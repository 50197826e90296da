"""The command line: the Chinese argparse parser and options commands share
(:mod:`ui.cli.parsing`), opening the database for a command, and the administrative commands.
Nothing here imports Qt.
"""

__all__: list[str] = []
