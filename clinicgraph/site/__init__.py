"""HTML sites: which file of a static site is which page, scanning an HTML file's tags as a
browser does, and splicing a managed block (our JSON-LD) into it byte for byte. Export,
import and audit all use it. It reads and writes files, never the store, so it imports
only ``vocab`` and ``core``: what needs the graph stays in the rooms above it."""
