"""What a planner reads: terminal tables (`terminal.py`), Markdown and HTML documents, plots and
Excel workbooks. It reads results and analysis output; it solves nothing."""
