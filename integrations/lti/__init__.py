"""LTI 1.3 I/O for content/lti: fetching a platform's keys, sending scores to its gradebook."""
