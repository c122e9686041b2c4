from app import create_app
from app.auth.models import User
from config import Config


def test_real_configurations_hash_passwords_with_scrypt(tmp_path):
    class _Config(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'x.sqlite3'}"

    app = create_app(_Config)
    with app.app_context():
        user = User(email="a@b.mx", name="A", role="docente")
        user.set_password("una contraseña larga")
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("una contraseña larga")
        assert not user.check_password("otra")


def test_postgresql_urls_use_psycopg3(tmp_path):
    class _Config(Config):
        SQLALCHEMY_DATABASE_URI = "postgresql://127.0.0.1:5432/test"

    app = create_app(_Config)
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
