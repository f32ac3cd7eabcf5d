//! Ward language server over the Ward library.
