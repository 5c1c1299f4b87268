# syntax=docker/dockerfile:1
# ENTRYPOINT is the program, CMD its default arguments (both in exec form).
#   docker build -f lifecycle-entrypoint.Dockerfile -t pinger:dev .
#   docker run --rm pinger:dev                        # ping -c 3 localhost
#   docker run --rm pinger:dev example.com            # ping -c 3 example.com  (CMD replaced)
#   docker run --rm --entrypoint echo pinger:dev hi   # echo hi                (both replaced)
FROM busybox:1.37
ENTRYPOINT ["ping", "-c", "3"]
CMD ["localhost"]
