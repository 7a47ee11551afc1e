"""The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG): dossiers handed over to us."""
