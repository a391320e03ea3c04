from civility.cli import main

main()
