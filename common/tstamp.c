/*
 * tstamp.c: event times and durations as int64_t microseconds.
 *
 * The calendar arithmetic is done by hand on the proleptic Gregorian
 * calendar, so results never depend on TZ, the locale or the C library's
 * time functions. Numbers are read digit by digit rather than through a
 * double, so "1763805601250" ms and "1763805601.25" s are exact.
 *
 * Text is first read into a day count and a microsecond of that day (struct
 * ts_wide), which hold every date of up to 7 year digits without overflow;
 * only then is it checked against the range of what the caller keeps: a
 * time (TS_MIN, TS_MAX), a date (TS_DATE_MIN, TS_DATE_MAX), or neither
 * (ts_normalize, for PostgreSQL's times past an int64_t of microseconds).
 */
#include <stdint.h>
#include <string.h>

#include "numtext.h"
#include "tstamp.h"

#define US_PER_MS	INT64_C(1000)
#define US_PER_S	INT64_C(1000000)
#define US_PER_MIN	(60 * US_PER_S)
#define US_PER_HOUR	(60 * US_PER_MIN)
#define US_PER_DAY	(24 * US_PER_HOUR)
/* Days from 0001-01-01 to 1970-01-01. */
#define TS_EPOCH_DAYS	INT64_C(719162)
/* Days in 400, 100, 4 and 1 Gregorian years. */
#define DAYS_400Y	INT64_C(146097)
#define DAYS_100Y	INT64_C(36524)
#define DAYS_4Y		INT64_C(1461)
#define DAYS_1Y		INT64_C(365)
/* Year digits read: 7 reach past both ends of the date range. */
#define TS_YEAR_DIGITS	7

_Static_assert(TS_MIN % US_PER_DAY == 0, "TS_MIN is a midnight");

/* A time as read from text: its UTC day and microsecond of that day, or
 * an infinity (inf -1 or 1). */
struct ts_wide {
	int64_t		 days;
	int64_t		 usod;		/* 0 to US_PER_DAY - 1 */
	int		 inf;
	int		 has_time;	/* more than a date alone */
};

static int	ts_isdigit(char);
static int	ts_digits(const char *, int, int *);
static int64_t	ts_floordiv(int64_t, int64_t);
static int	ts_is_leap(int64_t);
static int	ts_month_days(int64_t, int);
static int64_t	ts_days_from_civil(int64_t, int, int);
static void	ts_civil_from_days(int64_t, int64_t *, int *, int *);
static int	ts_infinity(const char *, size_t);
static int	ts_read(const char *, size_t, struct ts_wide *);
static size_t	ts_put_uint(char *, uint64_t, int);
static size_t	ts_put_date(char *, int64_t);
static size_t	ts_put_wide(char *, int64_t, int64_t);
static int	dur_unit(const char *, size_t);

static const int ts_days_before_month[12] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
};

/* Duration units, largest first: dur_parse requires this order. */
static const struct dur_unitdef {
	const char	*name;
	uint64_t	 us;
} dur_units[] = {
	{ "d", (uint64_t)US_PER_DAY },
	{ "h", (uint64_t)US_PER_HOUR },
	{ "m", (uint64_t)US_PER_MIN },
	{ "s", (uint64_t)US_PER_S },
	{ "ms", (uint64_t)US_PER_MS },
	{ "us", 1 },
};
#define DUR_NUNITS	((int)(sizeof(dur_units) / sizeof(dur_units[0])))

static int
ts_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* Exactly k ASCII digits at s into *v; 0, or -1. */
static int
ts_digits(const char *s, int k, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < k; i++) {
		if (!ts_isdigit(s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* a / b rounded towards minus infinity, b > 0. */
static int64_t
ts_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return a % b < 0 ? q - 1 : q;
}

static int
ts_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
ts_month_days(int64_t y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return mdays[m - 1] + (m == 2 && ts_is_leap(y));
}

/* Days since 1970-01-01 of a valid date of astronomical year y (|y| up to
 * 7 digits): the leap days before y counted with floor division, so years
 * before 1 (year 0 being leap) count backwards the same way. */
static int64_t
ts_days_from_civil(int64_t y, int m, int d)
{
	int64_t py = y - 1;	/* whole years before y since 0001 */
	int64_t days;

	days = py * 365 + ts_floordiv(py, 4) - ts_floordiv(py, 100) +
	    ts_floordiv(py, 400);
	days += ts_days_before_month[m - 1] + (m > 2 && ts_is_leap(y));
	days += d - 1;
	return days - TS_EPOCH_DAYS;
}

/*
 * Date of a day counted from 1970-01-01, for any day an int64_t of
 * microseconds can reach and every day of the date range (years before 1
 * included, with year 0 leap). Counting from 0001-01-01 splits the count
 * into 400-year cycles, then centuries, 4-year groups and years; the last of
 * each group is the long one, so an index of 4 only happens on its final
 * leap day.
 */
static void
ts_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t n = days + TS_EPOCH_DAYS, c400, c100, c4, c1, ml;

	c400 = n / DAYS_400Y;
	n %= DAYS_400Y;
	if (n < 0) {
		n += DAYS_400Y;
		c400--;
	}
	c100 = n / DAYS_100Y;
	if (c100 == 4)
		c100 = 3;
	n -= c100 * DAYS_100Y;
	c4 = n / DAYS_4Y;
	n -= c4 * DAYS_4Y;
	c1 = n / DAYS_1Y;
	if (c1 == 4)
		c1 = 3;
	n -= c1 * DAYS_1Y;
	*y = 1 + 400 * c400 + 100 * c100 + 4 * c4 + c1;
	for (*m = 1; n >= (ml = ts_month_days(*y, *m)); (*m)++)
		n -= ml;
	*d = (int)n + 1;
}

/* 1 for "infinity" or "+infinity", -1 for "-infinity" (any case), else 0. */
static int
ts_infinity(const char *s, size_t n)
{
	static const char word[] = "infinity";
	int sign = 1;
	size_t i;

	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		sign = s[0] == '-' ? -1 : 1;
		s++;
		n--;
	}
	if (n != sizeof(word) - 1)
		return 0;
	for (i = 0; i < n; i++)
		if ((s[i] | 0x20) != word[i])
			return 0;
	return sign;
}

/*
 * Read time text (the forms of ts_parse) into *w. Returns 0, or TS_EBAD.
 * The year is read with a sign and up to 7 digits and everything is kept as
 * days and microseconds of the day, so nothing can overflow here.
 */
static int
ts_read(const char *s, size_t n, struct ts_wide *w)
{
	int mo, d, h = 0, mi = 0, sec = 0, fus = 0, nfrac, ny;
	int zh = 0, zm = 0, zs = 0, zneg = 0, sign = 0, bc = 0;
	int64_t y = 0, t;
	size_t i = 0;

	memset(w, 0, sizeof(*w));
	if ((w->inf = ts_infinity(s, n)) != 0)
		return 0;
	/* PostgreSQL's era comes last: "0045-03-15 12:00:00+00 BC". */
	if (n > 3 && s[n - 3] == ' ' && (s[n - 2] | 0x20) == 'b' &&
	    (s[n - 1] | 0x20) == 'c') {
		bc = 1;
		n -= 3;
	}
	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		sign = s[0] == '-' ? -1 : 1;
		i++;
	}
	for (ny = 0; i < n && ts_isdigit(s[i]); i++, ny++) {
		if (ny == TS_YEAR_DIGITS)
			return TS_EBAD;
		y = y * 10 + (s[i] - '0');
	}
	/* Four digits, or an expanded year: a sign, or no leading zero. */
	if (ny < 4 || (ny > 4 && sign == 0 && s[0] == '0') ||
	    (bc && (sign != 0 || y == 0)))
		return TS_EBAD;
	if (sign < 0)
		y = -y;
	if (bc)
		y = 1 - y;
	if (n - i < 6 || s[i] != '-' || ts_digits(s + i + 1, 2, &mo) == -1 ||
	    s[i + 3] != '-' || ts_digits(s + i + 4, 2, &d) == -1)
		return TS_EBAD;
	if (mo < 1 || mo > 12 || d < 1 || d > ts_month_days(y, mo))
		return TS_EBAD;
	i += 6;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return TS_EBAD;
		i++;
		if (n - i < 5 || ts_digits(s + i, 2, &h) == -1 ||
		    s[i + 2] != ':' || ts_digits(s + i + 3, 2, &mi) == -1)
			return TS_EBAD;
		i += 5;
		if (h > 23 || mi > 59)
			return TS_EBAD;
		if (i < n && s[i] == ':') {
			i++;
			if (n - i < 2 || ts_digits(s + i, 2, &sec) == -1 ||
			    sec > 60)
				return TS_EBAD;
			i += 2;
			if (i < n && s[i] == '.') {
				/* Digits past the sixth are dropped: the
				 * fraction only adds, so this is a floor. */
				i++;
				for (nfrac = 0; i < n && ts_isdigit(s[i]);
				    i++, nfrac++) {
					if (nfrac == 9)
						return TS_EBAD;
					if (nfrac < 6)
						fus = fus * 10 + (s[i] - '0');
				}
				if (nfrac == 0)
					return TS_EBAD;
				for (; nfrac < 6; nfrac++)
					fus *= 10;
			}
		}
		if (i < n && (s[i] == 'Z' || s[i] == 'z'))
			i++;
		else if (i < n && (s[i] == '+' || s[i] == '-')) {
			zneg = s[i] == '-';
			i++;
			if (n - i < 2 || ts_digits(s + i, 2, &zh) == -1)
				return TS_EBAD;
			i += 2;
			if (i < n && s[i] == ':') {
				i++;
				if (n - i < 2 || ts_digits(s + i, 2, &zm) == -1)
					return TS_EBAD;
				i += 2;
				/* PostgreSQL's local mean time offsets */
				if (i < n && s[i] == ':') {
					i++;
					if (n - i < 2 ||
					    ts_digits(s + i, 2, &zs) == -1 ||
					    zs > 59)
						return TS_EBAD;
					i += 2;
				}
			} else if (n - i >= 2 && ts_digits(s + i, 2, &zm) == 0)
				i += 2;
			if (zh > 15 || zm > 59)
				return TS_EBAD;
		}
		if (i != n)
			return TS_EBAD;
		w->has_time = 1;
	}

	/* Local time, then back to UTC by the zone offset: t stays within
	 * a few days' microseconds. */
	t = h * US_PER_HOUR + mi * US_PER_MIN + sec * US_PER_S + fus;
	t += (zneg ? 1 : -1) * (zh * US_PER_HOUR + zm * US_PER_MIN +
	    zs * US_PER_S);
	w->days = ts_days_from_civil(y, mo, d) + ts_floordiv(t, US_PER_DAY);
	w->usod = t - ts_floordiv(t, US_PER_DAY) * US_PER_DAY;
	return 0;
}

int
ts_parse(const char *s, size_t n, int64_t *us)
{
	struct ts_wide w;
	int64_t t;

	if (ts_read(s, n, &w) != 0)
		return TS_EBAD;
	if (w.inf != 0) {
		*us = w.inf < 0 ? TS_NINF : TS_INF;
		return 0;
	}
	if (__builtin_mul_overflow(w.days, US_PER_DAY, &t) ||
	    __builtin_add_overflow(t, w.usod, &t) || t < TS_MIN || t > TS_MAX)
		return TS_ERANGE;
	*us = t;
	return 0;
}

int
ts_parse_date(const char *s, size_t n, int64_t *days)
{
	struct ts_wide w;

	if (ts_read(s, n, &w) != 0 || w.has_time)
		return TS_EBAD;
	if (w.inf != 0) {
		*days = w.inf < 0 ? TS_NINF : TS_INF;
		return 0;
	}
	if (w.days < TS_DATE_MIN || w.days > TS_DATE_MAX)
		return TS_ERANGE;
	*days = w.days;
	return 0;
}

const char *
ts_strerror(int rc)
{
	return rc == TS_ERANGE ? "timestamp out of range" : "not a timestamp";
}

int
ts_parse_number(const char *s, size_t n, enum ts_unit unit, int64_t *us)
{
	const char *ip, *fp;
	struct numtext nt;
	int64_t ni, nf, exp, cut, i, acc = 0, u;
	int fracnz = 0, c;

	switch (unit) {
	case TS_S:
		u = 6;
		break;
	case TS_MS:
		u = 3;
		break;
	case TS_US:
		u = 0;
		break;
	case TS_NS:
		u = -3;
		break;
	default:
		return TS_EBAD;
	}

	if (numtext_split(&nt, s, n) != 0)
		return TS_EBAD;
	ip = nt.ip;
	fp = nt.fp;
	ni = (int64_t)nt.ni;
	nf = (int64_t)nt.nf;
	exp = nt.exp;

	/*
	 * The value in microseconds is the digit string (integer digits, then
	 * fraction digits) times 10^(exp - nf + u): its first `cut` digits,
	 * followed by zeros when cut is past the end, are the integer part,
	 * and the rest only matters for the floor of a negative number.
	 */
	cut = ni + exp + u;
	for (i = 0; i < ni + nf; i++) {
		c = i < ni ? ip[i] - '0' : fp[i - ni] - '0';
		if (i < cut) {
			if (__builtin_mul_overflow(acc, 10, &acc) ||
			    __builtin_add_overflow(acc, c, &acc))
				return TS_ERANGE;
		} else if (c != 0) {
			fracnz = 1;
			break;
		}
	}
	/* A nonzero value overflows in at most 19 steps. */
	for (i = ni + nf; acc != 0 && i < cut; i++)
		if (__builtin_mul_overflow(acc, 10, &acc))
			return TS_ERANGE;
	if (nt.neg)
		acc = -acc - fracnz;
	if (acc < TS_MIN || acc > TS_MAX)
		return TS_ERANGE;
	*us = acc;
	return 0;
}

int
ts_parse_unit(const char *name, enum ts_unit *unit)
{
	if (strcmp(name, "s") == 0)
		*unit = TS_S;
	else if (strcmp(name, "ms") == 0)
		*unit = TS_MS;
	else if (strcmp(name, "us") == 0)
		*unit = TS_US;
	else if (strcmp(name, "ns") == 0)
		*unit = TS_NS;
	else
		return -1;
	return 0;
}

/* v in decimal, zero-padded to at least width digits; no NUL. */
static size_t
ts_put_uint(char *out, uint64_t v, int width)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v != 0);
	while (n < (size_t)width)
		tmp[n++] = '0';
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* The date of a day count, years as ISO 8601 writes them: four digits
 * for 0000-9999, else a sign and at least four. No NUL. */
static size_t
ts_put_date(char *out, int64_t days)
{
	int64_t y;
	int m, d;
	size_t len = 0;

	ts_civil_from_days(days, &y, &m, &d);
	if (y < 0)
		out[len++] = '-';
	else if (y > 9999)
		out[len++] = '+';
	len += ts_put_uint(out + len, (uint64_t)(y < 0 ? -y : y), 4);
	out[len++] = '-';
	len += ts_put_uint(out + len, (uint64_t)m, 2);
	out[len++] = '-';
	len += ts_put_uint(out + len, (uint64_t)d, 2);
	return len;
}

/* Day and microsecond of the day as RFC 3339 UTC, NUL-terminated. */
static size_t
ts_put_wide(char *out, int64_t days, int64_t usod)
{
	int64_t sod = usod / US_PER_S, sub = usod % US_PER_S;
	size_t len;

	len = ts_put_date(out, days);
	out[len++] = 'T';
	len += ts_put_uint(out + len, (uint64_t)(sod / 3600), 2);
	out[len++] = ':';
	len += ts_put_uint(out + len, (uint64_t)(sod / 60 % 60), 2);
	out[len++] = ':';
	len += ts_put_uint(out + len, (uint64_t)(sod % 60), 2);
	out[len++] = '.';
	if (sub % US_PER_MS == 0)
		len += ts_put_uint(out + len, (uint64_t)(sub / US_PER_MS), 3);
	else
		len += ts_put_uint(out + len, (uint64_t)sub, 6);
	out[len++] = 'Z';
	out[len] = '\0';
	return len;
}

size_t
ts_format(int64_t us, char *out)
{
	int64_t days, rem;

	if (us == TS_INF || us == TS_NINF) {
		strcpy(out, us == TS_INF ? "infinity" : "-infinity");
		return strlen(out);
	}
	/* Floor division without forming days * US_PER_DAY, which can
	 * overflow near INT64_MIN. */
	days = us / US_PER_DAY;
	rem = us % US_PER_DAY;
	if (rem < 0) {
		rem += US_PER_DAY;
		days--;
	}
	return ts_put_wide(out, days, rem);
}

size_t
ts_format_date(int64_t days, char *out)
{
	size_t len;

	if (days == TS_INF || days == TS_NINF) {
		strcpy(out, days == TS_INF ? "infinity" : "-infinity");
		return strlen(out);
	}
	len = ts_put_date(out, days);
	out[len] = '\0';
	return len;
}

size_t
ts_normalize(const char *s, size_t n, char *out)
{
	struct ts_wide w;

	if (ts_read(s, n, &w) != 0)
		return 0;
	if (w.inf != 0)
		return ts_format(w.inf < 0 ? TS_NINF : TS_INF, out);
	if (w.days < TS_DATE_MIN || w.days > TS_DATE_MAX)
		return 0;
	return ts_put_wide(out, w.days, w.usod);
}

int64_t
ts_add_sat(int64_t t, int64_t d)
{
	int64_t r;

	if (!TS_FINITE(t))
		return t;
	if (__builtin_add_overflow(t, d, &r))
		return d < 0 ? TS_MIN : TS_MAX;
	return r < TS_MIN ? TS_MIN : r > TS_MAX ? TS_MAX : r;
}

int64_t
ts_sub_sat(int64_t t, int64_t d)
{
	if (d == INT64_MIN)
		return ts_add_sat(ts_add_sat(t, INT64_MAX), 1);
	return ts_add_sat(t, -d);
}

int
ts_add(int64_t t, int64_t d, int64_t *out)
{
	int64_t r;

	if (!TS_FINITE(t) || __builtin_add_overflow(t, d, &r) ||
	    r < TS_MIN || r > TS_MAX)
		return -1;
	*out = r;
	return 0;
}

/* Index in dur_units of the unit named by the n bytes at s, or -1. */
static int
dur_unit(const char *s, size_t n)
{
	int u;

	for (u = 0; u < DUR_NUNITS; u++)
		if (strlen(dur_units[u].name) == n &&
		    memcmp(dur_units[u].name, s, n) == 0)
			return u;
	return -1;
}

int
dur_parse(const char *s, int64_t *us)
{
	const char *p = s, *q;
	uint64_t total = 0, limit = INT64_MAX, v, t;
	int neg = 0, last = -1, u;

	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	if (neg)
		limit = (uint64_t)INT64_MAX + 1;
	if (*p == '\0')
		return -1;
	while (*p != '\0') {
		if (!ts_isdigit(*p))
			return -1;
		for (v = 0; ts_isdigit(*p); p++)
			if (__builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, (unsigned)(*p - '0'), &v))
				return -1;
		for (q = p; *q >= 'a' && *q <= 'z'; q++)
			continue;
		u = dur_unit(p, (size_t)(q - p));
		if (u == -1 || u <= last)
			return -1;
		last = u;
		if (__builtin_mul_overflow(v, dur_units[u].us, &t) ||
		    __builtin_add_overflow(total, t, &total) || total > limit)
			return -1;
		p = q;
	}
	if (!neg)
		*us = (int64_t)total;
	else if (total == (uint64_t)INT64_MAX + 1)
		*us = INT64_MIN;
	else
		*us = -(int64_t)total;
	return 0;
}

size_t
dur_format(int64_t us, char *out)
{
	uint64_t m, sec, sub, v;
	size_t len = 0;
	int u;

	if (us == 0) {
		memcpy(out, "0s", 3);
		return 2;
	}
	if (us < 0) {
		out[len++] = '-';
		m = -(uint64_t)us;
	} else
		m = (uint64_t)us;
	/* Whole seconds as d, h, m, s terms; the rest as one ms term, or us
	 * when it is not whole milliseconds (as ts_format's precision). */
	sec = m / US_PER_S * US_PER_S;
	sub = m % US_PER_S;
	for (u = 0; dur_units[u].us >= (uint64_t)US_PER_S; u++) {
		v = sec / dur_units[u].us;
		if (v == 0)
			continue;
		sec -= v * dur_units[u].us;
		len += ts_put_uint(out + len, v, 1);
		memcpy(out + len, dur_units[u].name,
		    strlen(dur_units[u].name));
		len += strlen(dur_units[u].name);
	}
	if (sub != 0) {
		if (sub % US_PER_MS == 0) {
			len += ts_put_uint(out + len, sub / US_PER_MS, 1);
			out[len++] = 'm';
		} else {
			len += ts_put_uint(out + len, sub, 1);
			out[len++] = 'u';
		}
		out[len++] = 's';
	}
	out[len] = '\0';
	return len;
}
