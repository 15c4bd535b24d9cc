from app.cli import main

# Guarded: a job's worker process imports this module again (multiprocessing "spawn").
if __name__ == "__main__":
    main()
