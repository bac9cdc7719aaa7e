"""Import every module of a Python tree under Django with minimal settings.

Usage: /usr/bin/python3 import_tree.py TREE_DIR

Puts TREE_DIR first on sys.path, configures Django (auth, contenttypes, sessions,
messages installed; an in-memory SQLite database), runs django.setup(), then imports
each `.py` file's module (packages by their `__init__.py`) and prints JSON
{module: null | "ExceptionType: message"}. Settings modules are imported like any other.
"""
import importlib
import json
import os
import sys


def module_names(root):
    names = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        rel = os.path.relpath(folder, root)
        parts = [] if rel == "." else rel.split(os.sep)
        for f in sorted(files):
            if not f.endswith(".py"):
                continue
            if f == "__init__.py":
                if parts:
                    names.append(".".join(parts))
            else:
                names.append(".".join(parts + [f[:-3]]))
    return names


def main():
    root = os.path.abspath(sys.argv[1])
    sys.path.insert(0, root)
    sys.dont_write_bytecode = True
    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        SECRET_KEY="import-check",
    )
    django.setup()
    result = {}
    for name in module_names(root):
        try:
            importlib.import_module(name)
            result[name] = None
        except BaseException as e:  # a module may raise anything, SystemExit included
            result[name] = f"{type(e).__name__}: {e}"
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
