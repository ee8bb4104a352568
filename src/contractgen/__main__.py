from contractgen.console import main

main()
