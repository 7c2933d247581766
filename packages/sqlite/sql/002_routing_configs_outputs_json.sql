-- evroute's optional per-route output bindings: a JSON object of output name -> {"sink", "target"} or null.
ALTER TABLE routing_configs ADD COLUMN outputs_json TEXT NULL;
