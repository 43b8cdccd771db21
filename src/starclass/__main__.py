"""``python -m starclass ...``: the same as the ``starclass`` console script.

Useful where the script is not on ``PATH`` (a venv not activated, ``PYTHONPATH`` on a
checkout) and to be sure which interpreter runs the commands.
"""

from starclass._entry import main

if __name__ == "__main__":
    main()
