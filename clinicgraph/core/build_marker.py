"""The file that marks a folder as a clinicgraph build.

A build writes it at the top of its output folder. A later build replaces only a folder
holding it (clinicgraph never deletes a folder it did not make) and removes a killed
build's staging folder by it; loading a project skips every folder holding it, so a
build inside the project is never read as its sources. A build from an on-disk store
adds a line naming the build (``build <id>``), which the store's record names back.
"""

BUILD_MARKER = ".clinicgraph-build"
MARKER_TEXT = "written by clinicgraph build; safe to delete\n"  # its first line
