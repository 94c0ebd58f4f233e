from netguard.cli.main import main

raise SystemExit(main())
