DROP TABLE sms_recovery_requests;
DROP TABLE inbound_sms;
DROP TABLE one_time_codes;
DROP TABLE outbox_messages;
