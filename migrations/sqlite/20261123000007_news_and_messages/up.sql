-- News of associations (AS-06): drafts until published; unpublishing keeps them as drafts.
CREATE TABLE news (
    id TEXT PRIMARY KEY,
    association_id TEXT NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    image_file_id TEXT REFERENCES files(id),
    published_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX news_association ON news(association_id, published_at);
CREATE INDEX news_published ON news(published_at);

-- Letters and messages (AS-07). A mailbox is the commission's, an association's or a person's:
-- (`commission`, `commission`), (`association`, its id), (`person`, their id).
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    sender_kind TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    sent_by TEXT NOT NULL REFERENCES persons(id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- Who it went to, as the sender chose it, for the sent folder.
    audience TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX messages_sender ON messages(sender_kind, sender_id, created_at);

CREATE TABLE message_recipients (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    mailbox_kind TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    read_at TIMESTAMP,
    UNIQUE (message_id, mailbox_kind, mailbox_id)
);
CREATE INDEX message_recipients_mailbox ON message_recipients(mailbox_kind, mailbox_id, read_at);

CREATE TABLE message_attachments (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    file_id TEXT NOT NULL REFERENCES files(id),
    PRIMARY KEY (message_id, file_id)
);
CREATE INDEX message_attachments_file ON message_attachments(file_id);

-- (PostgreSQL adds a trigram index on persons.search_name here; SQLite scans.)
