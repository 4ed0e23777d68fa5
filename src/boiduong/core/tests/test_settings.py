import os
import subprocess
import sys


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60 + "production-secret-for-the-check-only-9f8e7d6c",
        "ALLOWED_HOSTS": "boiduong.example.vn",
        "BOIDUONG_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "boiduong.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for the live server
    result = subprocess.run(
        [sys.executable, "-m", "boiduong.manage", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "security." not in output, output  # no deployment warning either


def test_dev_secret_is_generated_outside_the_repository():
    from django.conf import settings

    assert (settings.VAR_DIR / "dev-secret-key").exists() or os.environ.get("SECRET_KEY")
    assert "var" in str(settings.VAR_DIR) or os.environ.get("BOIDUONG_VAR_DIR")
