from carereview.cli import main

main()
