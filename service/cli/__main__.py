"""`python -m service.cli`: the command line, as `claimledger`."""

from service.cli.main import main

raise SystemExit(main())
