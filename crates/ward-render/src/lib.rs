//! Ward outputs: DOT views, tera tables, CSV, model.json, SARIF, HTML report.
