from buicasus.cli import main

main()
