"""Demo installation: the province of Đồng Tháp with one account per role. Never used by production settings."""
