-- The bot's menu as the community builds it: a tree of two levels. Without rows the menu is
-- made of every module's ways in.
CREATE TABLE bot_menu_items (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- A submenu's item, or NULL on the main menu.
    parent_id BLOB,
    position BIGINT NOT NULL,
    emoji TEXT NOT NULL,
    label_uk TEXT NOT NULL,
    label_en TEXT,
    -- 'module' (target: a module's way in, "key|action"), 'page' (body: the text shown),
    -- 'link' (target: a URL), 'submenu' or 'official'.
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX bot_menu_items_by_parent ON bot_menu_items (community_id, parent_id, position);
