import sys

from acplan.cli import main

sys.exit(main())
