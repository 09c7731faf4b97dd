from pipeline.cli import main
