-- Request rate limits (abuse limits): one fixed window per key, e.g. `register:ip:203.0.113.7`
-- or `vote_code:account:<person id>`. Kept in the database so the limit holds across processes;
-- rows whose window is long over are deleted as new hits come.
CREATE TABLE rate_windows (
    key TEXT PRIMARY KEY,
    window_started_at TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL
);
CREATE INDEX rate_windows_started ON rate_windows(window_started_at);
