DROP TABLE board_positions;
