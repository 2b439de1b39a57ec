-- Daily closes as each provider served them, keyed by source ("yahoo:^RUT", "fred:DGS10").
CREATE TABLE closes (
  source TEXT NOT NULL,
  date TEXT NOT NULL,
  close DOUBLE PRECISION NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (source, date)
);
