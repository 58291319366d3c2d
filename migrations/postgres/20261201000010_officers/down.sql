DROP TABLE officer_request_events;
DROP TABLE officer_requests;
DROP TABLE officers;
DROP TABLE officer_fields;
DROP TABLE cities;
DROP TABLE provinces;
