"""Staff commands over the core: validate, new, import, report, mou, doctor, render."""
