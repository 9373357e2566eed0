-- The head of a department: overdue appeals and reports are escalated to them.
ALTER TABLE departments ADD COLUMN head_id BLOB;
