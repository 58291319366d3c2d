DROP TABLE cooperations;
DROP TABLE branches;
DROP TABLE distributors;
