-- Idle walls are found by age, to prune them (guests' soon after they stop playing).
CREATE INDEX walls_by_age ON walls (updated_at);
