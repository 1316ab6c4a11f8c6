"""Tests in headless Chromium."""
