DROP TABLE vote_codes;
DROP TABLE ballots;
DROP TABLE participations;
DROP TABLE voter_roll;
DROP TABLE candidates;
DROP TABLE contests;
DROP TABLE elections;
