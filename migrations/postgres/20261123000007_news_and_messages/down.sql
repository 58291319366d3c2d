DROP INDEX persons_search_name_trgm;
DROP TABLE message_attachments;
DROP TABLE message_recipients;
DROP TABLE messages;
DROP TABLE news;
