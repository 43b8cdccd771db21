"""Reading and writing what astronomers have: FITS mosaics, catalogues, DS9 regions."""
