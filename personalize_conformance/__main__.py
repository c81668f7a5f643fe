"""``python -m personalize_conformance``: the same as the ``personalize-conformance`` command."""
import sys

from personalize_conformance.cli.main import main

sys.exit(main())
