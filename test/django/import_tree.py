"""Import every module of Python trees under Django with minimal settings.

Usage: /usr/bin/python3 import_tree.py TREE_DIR...

Configures Django (auth, contenttypes, sessions, messages installed; an in-memory SQLite
database) and runs django.setup() once; then, for each TREE_DIR in a process of its own
(forked, so that no module of one tree is seen by the next), puts TREE_DIR first on
sys.path and imports each `.py` file's module (packages by their `__init__.py`). Prints a
JSON list, one {module: null | "ExceptionType: message"} per tree. Settings modules are
imported like any other.
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


def import_all(root):
    sys.path.insert(0, root)
    result = {}
    for name in module_names(root):
        try:
            importlib.import_module(name)
            result[name] = None
        except BaseException as e:  # a module may raise anything, SystemExit included
            result[name] = f"{type(e).__name__}: {e}"
    return result


def in_child(root):
    """import_all(root) in a forked process; its result as JSON text."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        with os.fdopen(write, "w") as out:
            out.write(json.dumps(import_all(root), sort_keys=True))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as inp:
        text = inp.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise SystemExit(f"importing {root} ended with status {status}")
    return text


def main():
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
    sys.stdout.flush()
    print("[" + ", ".join(in_child(os.path.abspath(root)) for root in sys.argv[1:]) + "]")


if __name__ == "__main__":
    main()
