-- Daily closes as each provider served them, keyed by source ("yahoo:^RUT", "fred:DGS10"): a proxy's
-- prices never mix with the instrument's own.
CREATE TABLE closes (
  source TEXT NOT NULL,
  date TEXT NOT NULL,
  close REAL NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (source, date)
) WITHOUT ROWID;
