#!/usr/bin/env python
import os
import sys


def main():
    # Without DJANGO_SETTINGS_MODULE, the production-safe base settings apply; `make run` and `make test`
    # choose the development and test settings themselves.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
