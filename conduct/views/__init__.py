"""Views of conduct inspections (kiểm tra công vụ), one module per subject."""
