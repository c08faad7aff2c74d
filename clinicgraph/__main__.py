from clinicgraph.cli import main

main()
