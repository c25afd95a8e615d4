"""`python -m leaktrace`: the same as the `leaktrace` command."""

from leaktrace.cli.main import main

main()
