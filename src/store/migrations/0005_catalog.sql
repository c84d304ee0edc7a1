-- 0005_catalog: service items (事项) and bundles (一件事), every saved version kept (cases keep
-- the version they were filed under). Owned by src/catalog/. body_json (the exchange format of
-- catalog/catalog_json.h) is the source of truth; the other columns are copies for lists.
CREATE TABLE catalog_item (
  code             TEXT NOT NULL,               -- 实施编码 (31 characters)
  version          INTEGER NOT NULL,            -- 1, 2, …
  name             TEXT NOT NULL,               -- 事项名称
  department_code  TEXT NOT NULL,               -- 实施主体: identity_department.code
  basic_code       TEXT NOT NULL,               -- 基本编码 (12 digits)
  item_type        TEXT NOT NULL,               -- GB/T 39046 表A.1
  service_objects  TEXT NOT NULL,               -- ",1,2,": LIKE '%,1,%' finds 自然人 items
  is_current       INTEGER NOT NULL,            -- 1 on the newest version only
  retired          INTEGER NOT NULL DEFAULT 0,  -- 1: 已停用 (set on the current version)
  retired_by       TEXT,
  retired_at_ms    BIGINT,
  body_json        TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  created_at_ms    BIGINT NOT NULL,
  PRIMARY KEY (code, version)
);
CREATE UNIQUE INDEX catalog_item_one_current ON catalog_item (code) WHERE is_current = 1;
CREATE INDEX catalog_item_department ON catalog_item (department_code, is_current);

CREATE TABLE catalog_bundle (
  code             TEXT NOT NULL,               -- [a-z0-9_-]{2,40}, e.g. "birth"
  version          INTEGER NOT NULL,
  name             TEXT NOT NULL,               -- "出生一件事"
  category         TEXT NOT NULL,               -- person / enterprise / project
  department_code  TEXT NOT NULL,               -- 牵头部门
  item_codes       TEXT NOT NULL,               -- ",<实施编码>,…,": which bundles use an item
  is_current       INTEGER NOT NULL,
  body_json        TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  created_at_ms    BIGINT NOT NULL,
  PRIMARY KEY (code, version)
);
CREATE UNIQUE INDEX catalog_bundle_one_current ON catalog_bundle (code) WHERE is_current = 1;
