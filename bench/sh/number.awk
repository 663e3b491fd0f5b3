# number.awk - how the bench's tables write a number (tables.awk,
# targets.awk).

# A number to three significant figures, thousands apart; a whole
# number as it is.
function num(x,   s, out) {
    if (x == "" || x !~ /^-?[0-9.]+$/)
        return x
    if (x >= 100 || x == int(x))
        s = sprintf("%.0f", x)
    else
        return sprintf(x >= 10 ? "%.1f" : "%.2f", x)
    out = ""
    while (length(s) > 3) {
        out = "," substr(s, length(s) - 2) out
        s = substr(s, 1, length(s) - 3)
    }
    return s out
}
