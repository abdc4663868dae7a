"""Starts and watches the processes: one machine (`make run`) or replicas behind a balancer
(`make cluster`)."""
