DROP TABLE message_attachments;
DROP TABLE message_recipients;
DROP TABLE messages;
DROP TABLE news;
