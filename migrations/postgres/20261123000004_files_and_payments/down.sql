DROP TABLE sandbox_payments;
DROP TABLE invoices;
DROP TABLE files;
