//! Ward semantic model: loading, use, name resolution, typed checks.
